"""Baseline views for the benchmark, mounted at /bench/ only when BENCHMARK_VIEWS is on."""

from django.urls import path

from devtools import baselines

urlpatterns = [
    path("bare/initiatives/", baselines.bare_initiatives, name="bench-bare-initiatives"),
    path(
        "icontains/initiatives/",
        baselines.icontains_initiatives,
        name="bench-icontains-initiatives",
    ),
]
