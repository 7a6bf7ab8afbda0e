"""Admin for the learning app's practices."""
