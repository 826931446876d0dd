"""Text in any language: cleaning, lexical tokens (stemmers, stopwords, jieba), and quotes cut
without breaking a word. The lowest layer: it imports nothing else of the bot."""
