"""Render simulated media on demand: voicemail and recording WAVs, fax PDFs (SIM-6)."""
