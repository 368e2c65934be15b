-- SPDX-License-Identifier: BSD-2-Clause
--
-- cases.lua - scripted milter sessions against a running signetd.
-- milter.sh runs: miltertest -D lib=LIB -D port=PORT -D work=DIR
--                 -D case=NAME -s cases.lua
-- Messages are files in DIR that milter.sh prepared.  Each case checks
-- the reply and every header change it expects.

dofile(lib)

local cases = {}

-- Sign and return the connection, for the sign cases.
local function sign_session(client_ip, auth)
    local conn = open_session(client_ip, "QSIGN", auth)
    send_message(conn, readfile(work .. "/plain.eml"))
    return conn
end

local function check_signed(conn)
    check(mt.getreply(conn) == SMFIR_ACCEPT, "reply is accept")
    local first = mt.getheader(conn, "DKIM-Signature", 0)
    local second = mt.getheader(conn, "DKIM-Signature", 1)
    check(first ~= nil and second ~= nil, "two DKIM-Signature fields")
    local both = first .. second
    check(contains(both, "a=rsa-sha256;"), "an rsa-sha256 signature")
    check(contains(both, "a=ed25519-sha256;"), "an ed25519-sha256 signature")
    check(contains(both, "d=example.com;"), "d=example.com")
    check(first:sub(1, 1) == " ", "value starts with the leading space")
    check(not mt.eom_check(conn, MT_HDRINSERT, "Authentication-Results"),
          "no Authentication-Results on outbound mail")
    return first, second
end

function cases.sign_internal()
    local conn = sign_session("10.1.2.3", nil)
    local first, second = check_signed(conn)
    -- Saved for the dkimpy check in milter.sh.
    writefile(work .. "/sig1.txt", first)
    writefile(work .. "/sig2.txt", second)
    mt.disconnect(conn)
end

function cases.sign_authenticated()
    local conn = sign_session("192.0.2.7", "alice")
    check_signed(conn)
    mt.disconnect(conn)
end

function cases.external_not_signed()
    local conn = sign_session("192.0.2.7", nil)
    check(mt.getreply(conn) == SMFIR_ACCEPT, "reply is accept")
    check(not mt.eom_check(conn, MT_HDRINSERT, "DKIM-Signature"),
          "no DKIM-Signature for an external client")
    check(contains(inserted_ar(conn), "dkim=none"), "verified instead: none")
    mt.disconnect(conn)
end

function cases.foreign_from_not_signed()
    local conn = open_session("10.1.2.3", "QFOREIGN", nil)
    send_message(conn, readfile(work .. "/foreign.eml"))
    check(mt.getreply(conn) == SMFIR_ACCEPT, "reply is accept")
    check(not mt.eom_check(conn, MT_HDRINSERT, "DKIM-Signature"),
          "no DKIM-Signature for a From domain without a rule")
    check(contains(inserted_ar(conn), "dkim=none"), "verified instead: none")
    mt.disconnect(conn)
end

function cases.verify_pass()
    local conn = open_session("192.0.2.7", "QPASS", nil)
    send_message(conn, readfile(work .. "/signed.eml"))
    check(mt.getreply(conn) == SMFIR_ACCEPT, "reply is accept")
    local ar = inserted_ar(conn)
    check(ar ~= nil, "Authentication-Results inserted")
    check(ar:sub(1, 9) == " mx.test;", "starts with the authserv-id: " .. ar)
    check(contains(ar, "dkim=pass"), "dkim=pass: " .. ar)
    check(contains(ar, "header.d=example.com"), "header.d: " .. ar)
    check(contains(ar, "header.i=@example.com"), "header.i: " .. ar)
    check(contains(ar, "header.s=s1"), "header.s: " .. ar)
    check(contains(ar, "header.a=rsa-sha256"), "header.a: " .. ar)
    check(ar:find("header.b=\"?[%w+/]+", 1) ~= nil, "header.b: " .. ar)
    check(mt.eom_check(conn, MT_HDRINSERT, "Authentication-Results"),
          "inserted, not appended")
    mt.disconnect(conn)
end

function cases.verify_fail()
    local conn = open_session("192.0.2.7", "QFAIL", nil)
    send_message(conn, readfile(work .. "/tampered.eml"))
    check(mt.getreply(conn) == SMFIR_ACCEPT, "default on_bad_signature accept")
    local ar = inserted_ar(conn)
    check(contains(ar, "dkim=fail"), "dkim=fail: " .. tostring(ar))
    check(contains(ar, "reason="), "reason given: " .. tostring(ar))
    mt.disconnect(conn)
end

function cases.verify_none()
    local conn = open_session("192.0.2.7", "QNONE", nil)
    send_message(conn, readfile(work .. "/plain.eml"))
    check(mt.getreply(conn) == SMFIR_ACCEPT, "default on_no_signature accept")
    check(inserted_ar(conn) == " mx.test; dkim=none",
          "exactly dkim=none: " .. tostring(inserted_ar(conn)))
    mt.disconnect(conn)
end

function cases.forged_ar_removed()
    local conn = open_session("192.0.2.7", "QFORGED", nil)
    send_message(conn, readfile(work .. "/forged.eml"))
    check(mt.getreply(conn) == SMFIR_ACCEPT, "reply is accept")
    check(mt.eom_check(conn, MT_HDRDELETE, "Authentication-Results"),
          "an Authentication-Results field deleted")
    check(contains(inserted_ar(conn), "dkim=pass"), "new result inserted")
    mt.disconnect(conn)
end

function cases.malformed_permerror()
    local conn = open_session("192.0.2.7", "QMALFORMED", nil)
    send_message(conn, readfile(work .. "/malformed.eml"))
    check(mt.getreply(conn) == SMFIR_ACCEPT, "default on_bad_signature accept")
    local ar = inserted_ar(conn)
    check(contains(ar, "dkim=permerror"), "dkim=permerror: " .. tostring(ar))
    mt.disconnect(conn)
end

function cases.hostile_domain_quoted()
    local conn = open_session("192.0.2.7", "QHOSTILE", nil)
    send_message(conn, readfile(work .. "/hostile.eml"))
    local ar = inserted_ar(conn)
    check(ar ~= nil, "Authentication-Results inserted")
    check(not contains(ar, "header.d=ev(il"), "d= not copied raw: " .. ar)
    check(not contains(ar, "\r"), "no CR in the field")
    local _, semis = ar:gsub(";", ";")
    local _, quoted_semis = ar:gsub('"[^"]*;[^"]*"', "")
    check(semis - quoted_semis == 1, "one result separator only: " .. ar)
    mt.disconnect(conn)
end

function cases.testing_key_comment()
    local conn = open_session("192.0.2.7", "QTESTING", nil)
    send_message(conn, readfile(work .. "/testing.eml"))
    local ar = inserted_ar(conn)
    check(contains(ar, "dkim=pass (key in testing mode)"),
          "testing comment: " .. tostring(ar))
    mt.disconnect(conn)
end

function cases.header_b_unique_prefix()
    local conn = open_session("192.0.2.7", "QPREFIX", nil)
    send_message(conn, readfile(work .. "/sameprefix.eml"))
    local ar = inserted_ar(conn)
    check(ar ~= nil, "Authentication-Results inserted")
    local prefixes = {}
    for value in ar:gmatch('header%.b="?([%w+/=]+)') do
        table.insert(prefixes, value)
    end
    check(#prefixes == 2, "two header.b values: " .. ar)
    check(prefixes[1] ~= prefixes[2], "header.b values differ: " .. ar)
    check(#prefixes[1] > 8 and #prefixes[2] > 8,
          "longer than 8 characters: " .. ar)
    check(prefixes[1]:sub(1, 8) == "AAAAAAAA", "prefix of b=: " .. ar)
    mt.disconnect(conn)
end

function cases.too_many_signatures()
    local conn = open_session("192.0.2.7", "QMANY", nil)
    send_message(conn, readfile(work .. "/many.eml"))
    check(mt.getreply(conn) == SMFIR_ACCEPT, "reply is accept")
    local ar = inserted_ar(conn)
    local _, results = ar:gsub("dkim=", "")
    check(results == tonumber(max_signatures),
          "one result per verified signature: " .. ar)
    mt.disconnect(conn)
end

function cases.dns_tempfail()
    local conn = open_session("192.0.2.7", "QDNS", nil)
    send_message(conn, readfile(work .. "/dnsfail.eml"))
    check(mt.getreply(conn) == SMFIR_REPLYCODE, "custom reply for tempfail")
    check(mt.eom_check(conn, MT_SMTPREPLY, "451", "4.7.5",
                       "DKIM key lookup failed"),
          "default 451 4.7.5 reply")
    check(not mt.eom_check(conn, MT_HDRINSERT, "Authentication-Results"),
          "no header change on a tempfailed message")
    mt.disconnect(conn)
end

function cases.quarantine_bad()
    local conn = open_session("192.0.2.7", "QQUAR", nil)
    send_message(conn, readfile(work .. "/tampered.eml"))
    check(mt.getreply(conn) == SMFIR_ACCEPT, "quarantine accepts")
    check(mt.eom_check(conn, MT_QUARANTINE), "quarantine requested")
    check(contains(inserted_ar(conn), "dkim=fail"), "A-R still added")
    mt.disconnect(conn)
end

function cases.reject_none()
    local conn = open_session("192.0.2.7", "QREJ", nil)
    send_message(conn, readfile(work .. "/plain.eml"))
    check(mt.getreply(conn) == SMFIR_REPLYCODE, "reply with a code")
    check(mt.eom_check(conn, MT_SMTPREPLY, "550", "5.7.20",
                       "Unsigned mail refused"),
          "configured code, enhanced code and text")
    mt.disconnect(conn)
end

function cases.discard_bad()
    local conn = open_session("192.0.2.7", "QDISC", nil)
    send_message(conn, readfile(work .. "/malformed.eml"))
    check(mt.getreply(conn) == SMFIR_DISCARD, "reply is discard")
    mt.disconnect(conn)
end

function cases.header_cap_internal_error()
    local conn = open_session("192.0.2.7", "QCAP", nil)
    local big = string.rep("x", 70)
    for i = 1, 400 do
        check(mt.header(conn, "X-Filler", " " .. big) == nil, "filler " .. i)
    end
    check(mt.header(conn, "From", " user@example.com") == nil, "From")
    check(mt.eoh(conn) == nil, "eoh")
    check(mt.bodystring(conn, "body\r\n") == nil, "body")
    check(mt.eom(conn) == nil, "eom")
    check(mt.getreply(conn) == SMFIR_REPLYCODE, "on_internal_error reply")
    check(mt.eom_check(conn, MT_SMTPREPLY, "451", "4.3.0",
                       "Local error while checking DKIM"),
          "default 451 4.3.0 reply")
    mt.disconnect(conn)
end

function cases.negotiated_options()
    local conn = mt.connect("inet:" .. port .. "@127.0.0.1", 50, 0.1)
    check(conn ~= nil, "connect")
    check(mt.conninfo(conn, "client.test", "192.0.2.7") == nil, "conninfo")
    check(mt.test_option(conn, SMFIP_HDR_LEADSPC), "asks for leading space")
    check(mt.test_option(conn, SMFIP_NR_HDR), "no reply for headers")
    check(mt.test_option(conn, SMFIP_NR_BODY), "no reply for body chunks")
    check(mt.test_option(conn, SMFIP_NORCPT), "skips RCPT")
    check(mt.test_action(conn, SMFIF_ADDHDRS), "may add headers")
    check(mt.test_action(conn, SMFIF_CHGHDRS), "may change headers")
    check(mt.test_action(conn, SMFIF_QUARANTINE), "may quarantine")
    mt.disconnect(conn)
end

-- An aborted message leaves no state behind: the next message on the
-- same connection is signed as if it were the first.
function cases.abort_then_next_message()
    local conn = open_session("10.1.2.3", "QABORT", nil)
    check(mt.header(conn, "From", " Alice <alice@example.com>") == nil, "From")
    check(mt.header(conn, "Authentication-Results", " mx.test; dkim=pass")
          == nil, "forged A-R in the aborted message")
    check(mt.abort(conn) == nil, "abort")
    mt.macro(conn, SMFIC_MAIL, "i", "QAFTER")
    check(mt.mailfrom(conn, "sender@example.com") == nil, "second mailfrom")
    send_message(conn, readfile(work .. "/plain.eml"))
    check(mt.getreply(conn) == SMFIR_ACCEPT, "reply is accept")
    check(mt.getheader(conn, "DKIM-Signature", 1) ~= nil,
          "two signatures on the second message")
    check(not mt.eom_check(conn, MT_HDRDELETE),
          "no deletion carried over from the aborted message")
    mt.disconnect(conn)
end

-- A message in progress when signetd is told to stop: milter.sh sends
-- SIGTERM while this case sleeps after end of header, and the message
-- must still get its result.
function cases.message_across_stop()
    local conn = open_session("192.0.2.7", "QSTOP", nil)
    check(mt.header(conn, "From", " Alice <alice@example.com>") == nil, "From")
    check(mt.eoh(conn) == nil, "eoh")
    mt.sleep(3)
    check(mt.bodystring(conn, "body\r\n") == nil, "body after the stop")
    check(mt.eom(conn) == nil, "eom after the stop")
    check(mt.getreply(conn) == SMFIR_ACCEPT, "reply is accept")
    check(inserted_ar(conn) == " mx2.test; dkim=none",
          "result after the stop: " .. tostring(inserted_ar(conn)))
    mt.disconnect(conn)
end

function cases.reload_authserv()
    local conn = open_session("192.0.2.7", "QRELOAD", nil)
    send_message(conn, readfile(work .. "/plain.eml"))
    check(inserted_ar(conn) == " mx2.test; dkim=none",
          "new authserv-id after reload: " .. tostring(inserted_ar(conn)))
    mt.disconnect(conn)
end

local run = cases[case]
check(run ~= nil, "unknown case " .. tostring(case))
run()
