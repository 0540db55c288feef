"""xlplan: plan, follow and report the implementation of a method in Danish municipalities, in Excel."""

__version__ = "0.1.0"
