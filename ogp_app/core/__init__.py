"""Infrastructure, below every other part of the app: the settings, the database engine and sessions
(with the tenant scope), the direct driver path, clocks, process tuning (garbage collector, log bounds,
backend load, worker respawn) and the websocket's flood limits. It imports no other part of ``ogp_app``."""
