"""Findings and results, and the reporters that render them."""
