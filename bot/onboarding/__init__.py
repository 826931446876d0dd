"""For new colleagues: the guided tour, its self-check quiz, and the programme map."""
