"""Course reviews and ratings."""
