"""Admin for the learning app's lessons."""
