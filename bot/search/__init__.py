"""Finding what answers: the index (dense + lexical), ranking of records, sentence evidence and
typed facts. Decides what answers; never formats."""
