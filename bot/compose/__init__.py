"""From what was found to the Answer: the composer (templates in prompts/), and the optional LLM
rewrite."""
