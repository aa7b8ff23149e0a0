# Fieldguide's front cache: Varnish 7 (Debian's varnish package).
#   varnishd -F -a 127.0.0.1:6081 -f /etc/varnish/fieldguide.vcl -p vcl_path=/etc/varnish
# The app says what may be shared (Cache-Control: public, s-maxage) and tags every
# shared page with X-Fieldguide-Generation; a publish sends one BAN that drops every
# page of another generation, PURGEs for the page itself and for rebuilt editions.
vcl 4.1;

import std;
import directors;

include "backends.vcl";

# Who may PURGE and BAN: the app instances. Add their addresses if they run elsewhere.
# A proxy on this host in front of Varnish (nginx) must refuse PURGE and BAN itself,
# since its requests come from 127.0.0.1 too (deploy/nginx/fieldguide.conf does).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = fieldguide.backend();

    if (req.method == "PURGE" || req.method == "BAN") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.method == "PURGE") {
            return (purge);
        }
        if (req.http.X-Fieldguide-Ban-Generation ~ "^[0-9]{1,18}$") {
            # Lurker-friendly (obj.* only): every page of another generation goes.
            ban("obj.http.X-Fieldguide-Generation ~ ^[0-9] && obj.http.X-Fieldguide-Generation != " + req.http.X-Fieldguide-Ban-Generation);
            return (synth(200, "Banned"));
        }
        if (req.http.X-Fieldguide-Ban-Url) {
            ban("obj.http.X-Fieldguide-Url ~ " + req.http.X-Fieldguide-Ban-Url);
            return (synth(200, "Banned"));
        }
        return (synth(400, "Say what to ban"));
    }

    # The health endpoint is the backends' business, never cached.
    if (req.url == "/healthz") {
        return (pass);
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin and anything signed in: straight to the app (the built-in VCL also
    # passes any request with a Cookie or Authorization header).
    if (req.url ~ "^/admin/") {
        return (pass);
    }

    # One variant per encoding the app serves: br, gzip, or none.
    if (req.http.Accept-Encoding ~ "\bbr\b") {
        set req.http.Accept-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "\bgzip\b") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    set req.http.X-Fieldguide-AE = req.http.Accept-Encoding;

    # Grace: while a backend is healthy, a stale page is served for at most 10 s while
    # it is fetched again; while every backend is down, for as long as it is kept.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
}

sub vcl_backend_fetch {
    # Varnish asks for gzip on its own; ask for what the reader accepts instead, so
    # brotli pages pass through as the app compressed them.
    if (bereq.http.X-Fieldguide-AE) {
        set bereq.http.Accept-Encoding = bereq.http.X-Fieldguide-AE;
    } else {
        unset bereq.http.Accept-Encoding;
    }
    unset bereq.http.X-Fieldguide-AE;
}

sub vcl_backend_response {
    if (beresp.status >= 500 && bereq.retries < 1 && bereq.method == "GET") {
        return (retry);
    }
    # Only what the app marked public, without a cookie, is shared.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "\bpublic\b") {
        set beresp.uncacheable = true;
        set beresp.ttl = 60s;
        return (deliver);
    }
    # For URL bans (lurker-friendly); removed before delivery.
    set beresp.http.X-Fieldguide-Url = bereq.url;
    # Kept past its lifetime so that it can be served while the backends restart.
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_backend_error {
    # An instance that just stopped: ask the next one (the director skips sick ones).
    if (bereq.retries < 2 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
}

sub vcl_deliver {
    unset resp.http.X-Fieldguide-Url;
    unset resp.http.Via;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

sub vcl_synth {
    set resp.http.Cache-Control = "private, no-store";
}
