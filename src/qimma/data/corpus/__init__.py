"""The default evidence corpus: the two Arabic seed texts the default scenario quotes."""
