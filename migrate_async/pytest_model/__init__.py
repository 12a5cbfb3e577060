"""One answer per question about pytest: marks, fixtures, collection, other async frameworks."""
