"""Defaults shared by the library, the command line and the web API (one value each).

Change a default here and every surface follows: the CLI's option defaults, the API's
query/body defaults and the library's keyword defaults all read these names.
"""

from __future__ import annotations

#: The swing model everywhere (projection, forecast, campaign tools, dashboard). Chosen
#: leave-one-election-out on the forecast backtests (docs/accuracy.md): with each of 2015,
#: 2017, 2019 and 2024 held out in turn, the transition model had the lowest total SAE on
#: the other three every time.
MODEL = "tm"
#: The baseline of every command unless the user says otherwise: the latest result.
BASELINE = "2024"
#: Simulated elections in a forecast (library, CLI and web alike). 50,000 draws give
#: outcome probabilities to within about +/-0.2 points (binomial standard error at p = 0.5).
DRAWS = 50_000
#: Simulated elections per backtest forecast (4 elections x 5 models in ``backtest --all``).
BACKTEST_DRAWS = 20_000
#: Monte Carlo draws of the campaign tools' robustness checks and portfolios.
CAMPAIGN_DRAWS = 1_000
#: The seed of every random generator unless the user gives one (polling day, 4 July 2024).
SEED = 20240704
#: Library cap on draws (memory is bounded by chunking; this bounds time).
MAX_DRAWS = 2_000_000
#: Web API cap on draws per forecast request.
WEB_MAX_DRAWS = 200_000
#: Rows listed by default in the CLI's tables.
TOP = 20
#: Folder of the forecast's HTML report.
REPORT_DIR = "seatcast-report"
#: The built-in swing models and what their names mean (``seatcast.swing.MODELS`` holds the
#: classes; a test checks the two agree). Listed here so ``--help`` needs no NumPy import.
MODEL_NAMES: dict[str, str] = {"uns": "uniform", "prop": "proportional", "tm": "transition",
                               "stm": "strong transition", "tac": "transition + tactical squeeze",
                               "learned": "learned, needs [learned]"}
