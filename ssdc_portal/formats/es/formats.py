# Thousands grouped with a point, as in Brazilian Portuguese and in most Spanish-speaking
# countries' usage (Django's default for Spanish is a space): "12.500,5".
THOUSAND_SEPARATOR = "."
