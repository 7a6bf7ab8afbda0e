"""Practices that travel: their public pages, the page where editors propose one, the API,
and what the initiative pages show of them."""
