"""Baseline views for the benchmark, mounted at /bench/ only when BENCHMARK_VIEWS is on."""

from django.urls import path

from benchmarks import bare

urlpatterns = [
    path("bare/initiatives/", bare.bare_initiatives, name="bench-bare-initiatives"),
    path(
        "icontains/initiatives/",
        bare.icontains_initiatives,
        name="bench-icontains-initiatives",
    ),
]
