"""``{{ count|figure }}``: a count written for the page's language, with its thousands
grouped (``12,500``, ``12.500``, ``12 500``). Years and ids are left to print as they are."""

from django import template

from charts.svg import figure as figure_text

register = template.Library()


@register.filter
def figure(value):
    return figure_text(value)
