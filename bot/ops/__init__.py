"""Running the service: metrics, logs with secrets masked, hot reload of a rebuilt index,
benchmarks and evaluation."""
