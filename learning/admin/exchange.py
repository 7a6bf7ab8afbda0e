"""Admin for the learning app's exchange."""
