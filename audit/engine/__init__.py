"""The engine: scores, follow-ups, payback and findings. Pure: models in, results out; no
words, no rounding, no I/O, and no area or section id is special."""
