"""KYB-Synth: fictional bands, their logos and covers, and photos of them with known answers."""
