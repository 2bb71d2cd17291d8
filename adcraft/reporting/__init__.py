"""What a batch's readers see: the HTML batch report an analyst opens, and the run summary shown in the
terminal and in the Prefect UI."""
