# Extra reference cases for lublin-diagnosis, computed with R's survey package.
# Same format as ../survey-r/README.md. Run: Rscript make_cases.R  (writes cases.json here)
suppressMessages(library(survey))
suppressMessages(library(jsonlite))
strat <- read.csv("apistrat.csv"); clus1 <- read.csv("apiclus1.csv"); clus2 <- read.csv("apiclus2.csv")
cases <- list()
add <- function(id, data, design, adjust, replicates, estimate, expected)
  cases[[length(cases) + 1]] <<- list(id = id, data = data, design = design, adjust = adjust,
                                       replicates = replicates, estimate = estimate, expected = expected)
row1 <- function(m) list(list(estimate = unname(coef(m))[1], se = unname(SE(m))[1]))
byrows <- function(b, vars) {
  lapply(seq_len(nrow(b)), function(i) list(by = paste(sapply(vars, function(v) as.character(b[[v]][i])), collapse = ":"),
                                              estimate = unname(coef(b))[i], se = unname(SE(b))[i]))
}
# lonely PSU policies: strata = county, one school in some counties
for (pol in c("adjust", "average", "remove", "certainty")) {
  options(survey.lonely.psu = pol)
  d <- svydesign(ids = ~1, strata = ~cname, weights = ~pw, data = strat)
  add(paste0("strat_county_lonely_", pol), "apistrat.csv",
      list(ids = NULL, strata = "cname", weights = "pw", fpc = NULL, lonely_psu = pol), NULL, NULL,
      list(op = "mean", var = "api00"), row1(svymean(~api00, d)))
}
options(survey.lonely.psu = "fail")
# nested clusters: districts within school types
d <- svydesign(ids = ~dnum, strata = ~stype, weights = ~pw, data = clus1, nest = TRUE)
add("clus1_nest_mean_api00", "apiclus1.csv", list(ids = list("dnum"), strata = "stype", weights = "pw", fpc = NULL, nest = TRUE),
    NULL, NULL, list(op = "mean", var = "api00"), row1(svymean(~api00, d)))
# domains on a raked design
d <- svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = clus1)
mar <- list(stype = c(E = 4421, H = 755, M = 1018), sch.wide = c(No = 1072, Yes = 5122))
rk <- rake(d, list(~stype, ~sch.wide), list(data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018)),
                                            data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))))
adj_rake <- list(list(op = "rake", margins = list(stype = as.list(mar$stype), sch.wide = as.list(mar$sch.wide))))
add("clus1_rake_mean_api00_by_awards", "apiclus1.csv", list(ids = list("dnum"), strata = NULL, weights = "pw", fpc = list("fpc")),
    adj_rake, NULL, list(op = "mean", var = "api00", by = "awards"), byrows(svyby(~api00, ~awards, rk, svymean), "awards"))
ci <- svyciprop(~I(awards == "Yes"), subset(rk, stype == "E"), method = "beta")
add("clus1_rake_ciprop_beta_domain", "apiclus1.csv", list(ids = list("dnum"), strata = NULL, weights = "pw", fpc = list("fpc")),
    adj_rake, NULL, list(op = "ciprop", var = "awards", level = "Yes", method = "beta", domain = list(stype = "E")),
    list(list(estimate = as.numeric(ci), ci_low = as.numeric(confint(ci))[1], ci_high = as.numeric(confint(ci))[2])))
# (a likelihood interval in a domain of a *calibrated* design is not compared: R keeps the
# out-of-domain rows with zero weight there and so scales its design effect by all rows /
# domain rows; lublin-diagnosis uses the domain's own rows, as R does for uncalibrated designs)
ci <- svyciprop(~I(awards == "Yes"), subset(d, stype == "E"), method = "likelihood")
add("clus1_ciprop_likelihood_domain", "apiclus1.csv", list(ids = list("dnum"), strata = NULL, weights = "pw", fpc = list("fpc")),
    NULL, NULL, list(op = "ciprop", var = "awards", level = "Yes", method = "likelihood", domain = list(stype = "E")),
    list(list(estimate = as.numeric(ci), ci_low = as.numeric(confint(ci))[1], ci_high = as.numeric(confint(ci))[2])))
# two by-variables, stratified design
d <- svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = strat)
add("strat_mean_api00_by_stype_awards", "apistrat.csv", list(ids = NULL, strata = "stype", weights = "pw", fpc = list("fpc")),
    NULL, NULL, list(op = "mean", var = "api00", by = list("stype", "awards")),
    byrows(svyby(~api00, ~stype + awards, d, svymean), c("stype", "awards")))
add("strat_ratio_by_awards", "apistrat.csv", list(ids = NULL, strata = "stype", weights = "pw", fpc = list("fpc")),
    NULL, NULL, list(op = "ratio", numerator = "api00", denominator = "api99", by = "awards"),
    byrows(svyby(~api00, ~awards, d, svyratio, denominator = ~api99), "awards"))
# JKn replicates, each raked
rd <- as.svrepdesign(d, type = "JKn")
rrk <- rake(rd, list(~sch.wide), list(data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))))
add("strat_jkn_rake_mean_api00", "apistrat.csv", list(ids = NULL, strata = "stype", weights = "pw", fpc = list("fpc")),
    list(list(op = "rake", margins = list(sch.wide = list(No = 1072, Yes = 5122)))), list(type = "JKn"),
    list(op = "mean", var = "api00"), row1(svymean(~api00, rrk)))
# calibration, raking distance with bounds
cal <- calibrate(d, ~sch.wide + api99, c(`(Intercept)` = 6194, sch.wideYes = 5122, api99 = 3914069), calfun = "raking", bounds = c(0.7, 1.4))
add("strat_cal_raking_bounded_mean_api00", "apistrat.csv", list(ids = NULL, strata = "stype", weights = "pw", fpc = list("fpc")),
    list(list(op = "calibrate", totals = list(sch.wide = list(No = 1072, Yes = 5122), api99 = 3914069), calfun = "raking", bounds = c(0.7, 1.4))),
    NULL, list(op = "mean", var = "api00"), row1(svymean(~api00, cal)))
# glm with a categorical predictor
g <- svyglm(api00 ~ ell + stype, design = d)
add("strat_glm_categorical", "apistrat.csv", list(ids = NULL, strata = "stype", weights = "pw", fpc = list("fpc")),
    NULL, NULL, list(op = "glm", formula = "api00 ~ ell + stype", family = "gaussian"),
    lapply(seq_along(coef(g)), function(i) list(term = names(coef(g))[i], estimate = unname(coef(g))[i], se = unname(SE(g))[i])))
# two-stage with na.rm on a mean, with deff
d2 <- svydesign(ids = ~dnum + snum, fpc = ~fpc1 + fpc2, data = clus2)
m <- svymean(~acs.k3, d2, na.rm = TRUE, deff = TRUE)
add("clus2_mean_acsk3_narm_deff", "apiclus2.csv", list(ids = list("dnum", "snum"), strata = NULL, weights = NULL, fpc = list("fpc1", "fpc2")),
    NULL, NULL, list(op = "mean", var = "acs.k3", na_rm = TRUE),
    list(list(level = NULL, estimate = as.numeric(coef(m)), se = as.numeric(SE(m)), deff = as.numeric(deff(m)))))
# post-stratified totals of a categorical variable
ps <- postStratify(d, ~awards, data.frame(awards = c("No", "Yes"), Freq = c(2500, 3694)))
m <- svytotal(~sch.wide, ps)
add("strat_poststrat_total_schwide", "apistrat.csv", list(ids = NULL, strata = "stype", weights = "pw", fpc = list("fpc")),
    list(list(op = "poststratify", var = "awards", totals = list(No = 2500, Yes = 3694))), NULL,
    list(op = "total", var = "sch.wide", categorical = TRUE),
    lapply(1:2, function(i) list(level = c("No", "Yes")[i], estimate = unname(coef(m))[i], se = unname(SE(m))[i])))
# chi-square on a stratified design
t <- svychisq(~awards + yr.rnd, d)
add("strat_chisq_awards_yrrnd", "apistrat.csv", list(ids = NULL, strata = "stype", weights = "pw", fpc = list("fpc")),
    NULL, NULL, list(op = "chisq", vars = list("awards", "yr.rnd")),
    list(list(F = unname(t$statistic), ndf = unname(t$parameter[1]), ddf = unname(t$parameter[2]), p = unname(t$p.value))))
writeLines(toJSON(cases, auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE), "cases.json")
cat(length(cases), "cases\n")
