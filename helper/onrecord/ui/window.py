"""The settings window (placeholder): ``run_window(url)`` blocks on the main thread until it closes."""


def run_window(url: str, title: str = "OnRecord") -> None:
    raise NotImplementedError("the settings window is not available yet")
