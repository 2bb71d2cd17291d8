"""Banners: the layout engine that sets text from templates, product illustrations, and contact sheets."""
