"""Layer 6 — studies that drive the assessment and the simulation together.

The simulation (:mod:`titr.sim`) is a pure engine: it runs routes on a network and knows nothing
of demand or assignment. The studies here give it the assignment's flows:

- :mod:`titr.studies.scenario_year` — a year of a scenario, assigned and then simulated
  (``titr.simulate``);
- :mod:`titr.studies.closure` — a temporary closure of a corridor and what it does;
- :mod:`titr.studies.coupling` — the assessment with simulated waits for vessels.
"""
