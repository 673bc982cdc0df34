from titr.cli.main import run

run()
