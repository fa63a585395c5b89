from click.testing import CliRunner

from aggregator.cli import main


def test_version_is_printed() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert "aggregator, version" in result.output
