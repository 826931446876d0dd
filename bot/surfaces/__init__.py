"""The views of an Answer: the terminal (chat, ask, tour) and Slack. Surfaces never retrieve on
their own; they render what the pipeline answers."""
