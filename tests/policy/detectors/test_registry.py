"""Every detector file is registered, answers its keys, and has its own test file."""

import pkgutil
from pathlib import Path

import onrecord.policy.detectors as detectors


def test_every_detector_module_is_registered_and_tested():
    found = {m.name for m in pkgutil.iter_modules(detectors.__path__)}
    assert found == set(detectors.MODULES)
    here = Path(__file__).parent
    for name in detectors.MODULES:
        assert (here / f"test_{name}.py").exists(), f"no test for detector {name}"


def test_keys_are_unique():
    table = detectors.registry()
    keys = [k for name in detectors.MODULES for k in __import__(f"onrecord.policy.detectors.{name}", fromlist=["KEYS"]).KEYS]
    assert len(keys) == len(set(keys)) == len(table)
