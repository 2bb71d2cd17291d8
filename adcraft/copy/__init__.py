"""What copy is: each channel's item formats, the prompts a field is written from, and the copy corpus."""
