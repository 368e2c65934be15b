-- SPDX-License-Identifier: BSD-2-Clause
--
-- lib.lua - helpers shared by the miltertest scripts in tests/milter.
-- milter.sh runs each script with -D port=PORT -D work=DIR (and per-case
-- variables) after loading this file through -D lib=PATH and dofile.
--
-- check(cond, expectation) prints the failed expectation and raises an error,
-- so miltertest exits non-zero; milter.sh shows the printed line.
-- miltertest itself does not print the message of a Lua error.

function check(cond, expectation)
    if not cond then
        print("FAILED: " .. expectation)
        error("FAILED: " .. expectation, 2)
    end
end

function readfile(path)
    local f = assert(io.open(path, "rb"))
    local text = f:read("*a")
    f:close()
    return text
end

function writefile(path, text)
    local f = assert(io.open(path, "wb"))
    f:write(text)
    f:close()
end

-- Connect, send the client address and the MAIL macros.  auth is the
-- {auth_authen} value or nil.
function open_session(client_ip, queue_id, auth)
    -- milter.sh passes -D sock=unix:PATH for the unix socket cases.
    local address = sock or ("inet:" .. port .. "@127.0.0.1")
    local conn = mt.connect(address, 50, 0.1)
    check(conn ~= nil, "connect to signetd at " .. address)
    check(mt.conninfo(conn, "client.test", client_ip) == nil, "conninfo")
    if auth ~= nil then
        mt.macro(conn, SMFIC_MAIL, "i", queue_id, "{auth_authen}", auth)
    else
        mt.macro(conn, SMFIC_MAIL, "i", queue_id)
    end
    check(mt.mailfrom(conn, "sender@example.com") == nil, "mailfrom")
    return conn
end

-- Split a CRLF message into header fields and send them with the body.
-- Folded lines are joined with LF, as Postfix sends them.
function send_message(conn, text)
    local head, body = text:match("^(.-)\r\n\r\n(.*)$")
    check(head ~= nil, "message has a header/body separator")
    local fields = {}
    for line in (head .. "\r\n"):gmatch("(.-)\r\n") do
        if line:match("^[ \t]") and #fields > 0 then
            fields[#fields] = fields[#fields] .. "\n" .. line
        else
            table.insert(fields, line)
        end
    end
    for _, field in ipairs(fields) do
        local name, value = field:match("^([^:]+):(.*)$")
        check(name ~= nil, "header line has a colon: " .. field)
        check(mt.header(conn, name, value) == nil, "send header " .. name)
    end
    check(mt.eoh(conn) == nil, "send end of header")
    if #body > 0 then
        check(mt.bodystring(conn, body) == nil, "send body")
    end
    check(mt.eom(conn) == nil, "send end of message")
end

-- The first Authentication-Results field signetd inserted, or nil.
function inserted_ar(conn)
    return mt.getheader(conn, "Authentication-Results", 0)
end

function contains(haystack, needle)
    return haystack ~= nil and haystack:find(needle, 1, true) ~= nil
end
