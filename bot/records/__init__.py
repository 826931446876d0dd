"""The programme as data: the record model, the parser of the programme text, sentences and
clauses, the glossary, resolution symbols and their links, labels, readers of the structure."""
