"""Allow `python -m knowyourband`."""

from knowyourband.cli import main

main()
