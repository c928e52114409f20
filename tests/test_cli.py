import importlib
import pkgutil

import onrecord.commands
from onrecord.cli import main


def test_every_command_module_is_registered():
    found = {m.name for m in pkgutil.iter_modules(onrecord.commands.__path__)}
    assert found == set(onrecord.commands.MODULES)


def test_bad_usage_is_one_line_and_exit_2(capsys):
    assert main(["check", "--no-such-flag"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--no-such-flag" in err
