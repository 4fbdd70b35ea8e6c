/*
 * dl4j-adaloss-ui: charts of the AdaLoss page. Session choice: ?session=ID in the page URL, else DL4J's current
 * session (/train/sessions/current) if it has AdaLoss records, else the latest AdaLoss session. Worker choice: the
 * index in the sorted worker IDs (as DL4J's pages), also sent to DL4J (/train/workers/setByIdx).
 */
var adalossSession = null;
var adalossWorkerIdx = 0;
var adalossSnapshot = -1;
var adalossLastData = null;

function log10OrNull(v) {
    return (v === null || !(v > 0)) ? null : Math.log(v) / Math.LN10;
}

function pairs(xs, ys, f) {
    var out = [];
    for (var i = 0; i < xs.length; i++) {
        var y = f ? f(ys[i]) : ys[i];
        out.push([xs[i], y === undefined ? null : y]);
    }
    return out;
}

function fmt(v) {
    if (v === null || v === undefined) return "-";
    if (typeof v !== "number") return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
    return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toPrecision(6) : v.toExponential(4);
}

function plot(id, series, hoverPrefix, points) {
    var elem = $("#" + id);
    if (elem.length === 0) return;
    var options = {
        series: { lines: { show: true, lineWidth: 2 }, points: { show: !!points } },
        grid: { hoverable: true, clickable: false, tickColor: "#dddddd", borderWidth: 0 },
        legend: { position: "se" },
        colors: ["#FA5833", "#2FABE9", "#27A844", "#8B572A"]
    };
    $.plot(elem, series, options);
    elem.unbind("plothover");
    elem.bind("plothover", function (event, pos, item) {
        if (item) {
            $("#" + hoverPrefix + "X").text(item.datapoint[0]);
            $("#" + hoverPrefix + "Y").text(fmt(item.datapoint[1]));
        }
    });
}

function urlSession() {
    var m = /[?&]session=([^&]+)/.exec(window.location.search);
    return m ? decodeURIComponent(m[1]) : null;
}

function renderAdaLossPage() {
    $.ajax({ url: "/adaloss/sessions", dataType: "json", success: function (s) {
        var ids = s.sessions.map(function (x) { return x.id; });
        if (ids.length === 0) { $("#noData").show(); return; }
        $("#noData").hide();
        var chosen = function (sid) {
            if (adalossSession === null || ids.indexOf(adalossSession) < 0) {
                adalossSession = ids.indexOf(sid) >= 0 ? sid : s.latest;
            }
            fillSelectors(s);
            loadData();
        };
        if (adalossSession !== null) { chosen(adalossSession); return; }
        var fromUrl = urlSession();
        if (fromUrl !== null) { chosen(fromUrl); return; }
        $.ajax({ url: "/train/sessions/current", dataType: "text",
            success: function (cur) { chosen(cur); }, error: function () { chosen(null); } });
    }});
}

function fillSelectors(s) {
    var sel = $("#sessionSelect");
    sel.empty();
    var workers = [];
    s.sessions.forEach(function (x) {
        sel.append($("<option>").val(x.id).text(x.id).prop("selected", x.id === adalossSession));
        if (x.id === adalossSession) workers = x.workers;
    });
    if (s.sessions.length > 1) $("#sessionSelectDiv").show(); else $("#sessionSelectDiv").hide();
    var wsel = $("#workerSelect");
    wsel.empty();
    for (var i = 0; i < workers.length; i++) {
        wsel.append($("<option>").val(i).text(workers[i]).prop("selected", i === adalossWorkerIdx));
    }
    if (workers.length > 1) $("#workerSelectDiv").show(); else $("#workerSelectDiv").hide();
    if (adalossWorkerIdx >= workers.length) adalossWorkerIdx = 0;
}

function selectNewSession() {
    adalossSession = $("#sessionSelect").val();
    adalossWorkerIdx = 0;
    adalossSnapshot = -1;
    $.ajax({ url: "/train/sessions/set/" + encodeURIComponent(adalossSession), error: function () {} });
    renderAdaLossPage();
}

function selectNewWorker() {
    adalossWorkerIdx = parseInt($("#workerSelect").val(), 10);
    adalossSnapshot = -1;
    $.ajax({ url: "/train/workers/setByIdx/" + adalossWorkerIdx, error: function () {} });
    renderAdaLossPage();
}

function selectSnapshot() {
    adalossSnapshot = parseInt($("#snapshotSelect").val(), 10);
    loadData();
}

function loadData() {
    $.ajax({
        url: "/adaloss/data/" + encodeURIComponent(adalossSession) + "?workerIdx=" + adalossWorkerIdx
            + "&snapshot=" + adalossSnapshot,
        dataType: "json",
        success: renderData
    });
}

function renderData(d) {
    adalossLastData = d;
    var n = d.iteration.length;
    var last = n - 1;
    if (d.info) {
        $("#modelType").text(d.info.modelClassName.replace(/.*\./, ""));
        $("#nParams").text(d.info.numParams);
        $("#updater").text(d.info.updater || "-");
    }
    $("#records").text(d.records + (d.stride > 1 ? " (every " + d.stride + "th drawn)" : ""));
    $("#lastIteration").text(n > 0 ? d.iteration[last] : "-");
    $("#lastB").text(n > 0 ? fmt(d.accumulator[last]) : "-");
    $("#lastStep").text(n > 0 ? fmt(d.step[last]) : "-");
    $("#lastRecoveries").text(n > 0 ? fmt(d.recoveries[last]) : "-");
    var k = d.ntk.iteration.length;
    $("#ntkCount").text(k + (d.info ? " (" + d.info.ntkProbeSize + ")" : ""));

    var stepSeries = [{ label: "log10 eta/b_t", data: pairs(d.iteration, d.step, log10OrNull) }];
    if (k > 0) {
        stepSeries.push({ label: "log10 2/(c lambda_max)", data: pairs(d.ntk.iteration, d.ntk.stabilityEdge, log10OrNull),
            points: { show: true }, lines: { show: false } });
    }
    plot("stepChart", stepSeries, "step");
    plot("accumulatorChart", [{ label: "b_t", data: pairs(d.iteration, d.accumulator) }], "accumulator");
    plot("recoveriesChart", [{ label: "rejected steps", data: pairs(d.iteration, d.recoveries) }], "recoveries");
    plot("lambdaChart", [
        { label: "log10 lambda_max", data: pairs(d.ntk.iteration, d.ntk.lambdaMax, log10OrNull) },
        { label: "log10 lambda_min", data: pairs(d.ntk.iteration, d.ntk.lambdaMin, log10OrNull) }], "lambda", true);
    plot("driftChart", [{ label: "kernel drift", data: pairs(d.ntk.iteration, d.ntk.kernelDrift) }], "drift", true);

    var ssel = $("#snapshotSelect");
    if (ssel.children().length !== k + 1) {
        ssel.empty();
        ssel.append($("<option>").val(-1).text("latest"));
        for (var j = 0; j < k; j++) {
            ssel.append($("<option>").val(j).text("#" + j + ", iteration " + d.ntk.iteration[j]));
        }
        ssel.val(adalossSnapshot);
    }
    if (d.spectrum) {
        var idx = [];
        for (var i = 0; i < d.spectrum.eigenvalues.length; i++) idx.push(i);
        plot("spectrumChart", [{ label: "log10 eigenvalue", data: pairs(idx, d.spectrum.eigenvalues, log10OrNull) }],
            "spectrum", true);
        var s = d.spectrum.index;
        $("#spectrumInfo").text("snapshot #" + s + " at iteration " + d.spectrum.iteration + ": lambda_min = "
            + fmt(d.ntk.lambdaMin[s]) + ", lambda_max = " + fmt(d.ntk.lambdaMax[s]) + ", condition number = "
            + fmt(d.ntk.conditionNumber[s]) + ", drift = " + fmt(d.ntk.kernelDrift[s]));
    } else {
        plot("spectrumChart", [], "spectrum");
        $("#spectrumInfo").text("no NTK snapshot");
    }
}
