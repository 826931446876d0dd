"""The programme map: a picture of the programme's structure (Graphviz), its labels, its words
for alt text, and whether a message asks for it."""
