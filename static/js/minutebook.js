// Minutebook's own behaviour; no inline scripts anywhere (Content-Security-Policy).
