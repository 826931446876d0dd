"""The terminal surface: answers as readable text, the chat loop, the tour."""
