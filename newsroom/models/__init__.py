"""The model port and its providers: an OpenAI-compatible endpoint per role, the embedded local model."""
