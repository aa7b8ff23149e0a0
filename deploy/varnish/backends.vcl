# The app instances behind the front cache: one backend per Gunicorn instance.
# Edit the ports to match deploy/systemd/fieldguide@.service instances.
probe fieldguide_health {
    .request =
        "GET /healthz HTTP/1.1"
        "Host: localhost"
        "Connection: close"
        "User-Agent: varnish-probe";
    .interval = 1s;
    .timeout = 2s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = fieldguide_health;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}

backend app2 {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = fieldguide_health;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}

sub vcl_init {
    new fieldguide = directors.round_robin();
    fieldguide.add_backend(app1);
    fieldguide.add_backend(app2);
}
