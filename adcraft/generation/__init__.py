"""Writing a batch's copy with a text model: planning the generations, cleaning what the model wrote, keeping
the best lines (best-of-N), and judging a model on held-out lines."""
