"""The demo zone: a fictional SEZ to show the product and feed tests and benchmarks."""
