"""Presentation of results beyond HTML pages: SVG charts and PDF documents."""
