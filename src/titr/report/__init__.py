"""Layer 8 — the self-contained HTML report and the exports of a results database.

    from titr.report import report_html, compare_html, read_results, export
    html = report_html(res, scenario=sc)            # or extras=… from read_results(path)
"""

from titr.report.export import export
from titr.report.extras import Extras, read_results, save_extras, sim_kpis_frame
from titr.report.html import compare_html, report_html

__all__ = ["Extras", "compare_html", "export", "read_results", "report_html", "save_extras",
           "sim_kpis_frame"]
