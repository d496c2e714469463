"""Analytics for creators (their businesses' cases) and for reviewers (the platform's queue and decisions).

Every figure is an aggregate the database computes (GROUP BY, percentile_cont, date_trunc in the viewer's time
zone); Python only shapes the few aggregated rows for the pages and the CSV export.
"""
