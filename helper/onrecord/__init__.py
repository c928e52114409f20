"""OnRecord: your organisation's social media policy, at the moment of posting."""

NAME = "OnRecord"
__version__ = "0.1.0"
