"""The second camera (双机位) in the UI: a QR code to pair the phone, its live picture with the placement guide,
the exam header's status light and the re-pair dialog. Everything talks to the engine through PhoneLink."""
