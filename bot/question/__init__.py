"""Reading a question: its language, parts, subjects, what it asks, filters, and the conversation
it follows up. Knows the records; never ranks or formats."""
