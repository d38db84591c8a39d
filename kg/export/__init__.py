"""Exports of the graph: formats other tools read, and a dataset ``kg load`` reads back."""
