# More reference cases for lublin-diagnosis (issue 12), computed with R's survey package.
# Same format as ../survey-r/README.md, extended as ../README.md describes.
# Run: Rscript make_cases.R   (writes cases.json and the derived data files here)
suppressMessages(library(survey))
suppressMessages(library(jsonlite))
strat <- read.csv("apistrat.csv"); clus1 <- read.csv("apiclus1.csv"); clus2 <- read.csv("apiclus2.csv")
scd <- read.csv("scd.csv")
cases <- list()
add <- function(id, data, design, estimate, expected, adjust = NULL, replicates = NULL)
  cases[[length(cases) + 1]] <<- list(id = id, data = data, design = design, adjust = adjust,
                                       replicates = replicates, estimate = estimate, expected = expected)
row1 <- function(m, ...) list(c(list(estimate = unname(coef(m))[1], se = unname(SE(m))[1]), list(...)))
ci_row <- function(ci, by = NULL) c(if (!is.null(by)) list(by = by),
  list(estimate = as.numeric(ci), se = sqrt(as.numeric(attr(ci, "var"))),
       ci_low = as.numeric(confint(ci))[1], ci_high = as.numeric(confint(ci))[2]))
byrows <- function(b, vars) lapply(seq_len(nrow(b)), function(i)
  list(by = paste(sapply(vars, function(v) as.character(b[[v]][i])), collapse = ":"),
       estimate = unname(coef(b))[i], se = unname(SE(b))[i]))
D_strat <- list(ids = NULL, strata = "stype", weights = "pw", fpc = list("fpc"))
D_clus1 <- list(ids = list("dnum"), strata = NULL, weights = "pw", fpc = list("fpc"))
D_clus2 <- list(ids = list("dnum", "snum"), strata = NULL, weights = NULL, fpc = list("fpc1", "fpc2"))
dstrat <- svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = strat)
dclus1 <- svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = clus1)

# -- item 1: likelihood intervals with unequal weights ------------------------------------
ci <- svyciprop(~I(sch.wide == "Yes"), dstrat, method = "likelihood")
add("i1_strat_ciprop_likelihood", "apistrat.csv", D_strat,
    list(op = "ciprop", var = "sch.wide", level = "Yes", method = "likelihood"), list(ci_row(ci)))
ci <- svyciprop(~I(awards == "Yes"), dstrat, method = "likelihood")
add("i1_strat_ciprop_likelihood_awards", "apistrat.csv", D_strat,
    list(op = "ciprop", var = "awards", level = "Yes", method = "likelihood"), list(ci_row(ci)))
ci <- svyciprop(~I(sch.wide == "Yes"), subset(dstrat, awards == "No"), method = "likelihood")
add("i1_strat_ciprop_likelihood_domain", "apistrat.csv", D_strat,
    list(op = "ciprop", var = "sch.wide", level = "Yes", method = "likelihood", domain = list(awards = "No")),
    list(ci_row(ci)))
d2 <- svydesign(ids = ~dnum + snum, fpc = ~fpc1 + fpc2, data = clus2)
ci <- svyciprop(~I(sch.wide == "Yes"), d2, method = "likelihood")
add("i1_clus2_ciprop_likelihood", "apiclus2.csv", D_clus2,
    list(op = "ciprop", var = "sch.wide", level = "Yes", method = "likelihood"), list(ci_row(ci)))

# -- item 2: lonely_psu = "average" in domains (strata = county) ---------------------------
options(survey.lonely.psu = "average")
dcty <- svydesign(ids = ~1, strata = ~cname, weights = ~pw, data = strat)
D_cty <- list(ids = NULL, strata = "cname", weights = "pw", fpc = NULL, lonely_psu = "average")
add("i2_county_average_mean_by_stype", "apistrat.csv", D_cty, list(op = "mean", var = "api00", by = "stype"),
    byrows(svyby(~api00, ~stype, dcty, svymean), "stype"))
add("i2_county_average_total_by_awards", "apistrat.csv", D_cty, list(op = "total", var = "enroll", by = "awards"),
    byrows(svyby(~enroll, ~awards, dcty, svytotal), "awards"))
add("i2_county_average_ratio_by_stype", "apistrat.csv", D_cty,
    list(op = "ratio", numerator = "api00", denominator = "api99", by = "stype"),
    byrows(svyby(~api00, ~stype, dcty, svyratio, denominator = ~api99), "stype"))
# -- item 9b: survey.adjust.domain.lonely ---------------------------------------------------
options(survey.adjust.domain.lonely = TRUE)
for (pol in c("average", "adjust")) {
  options(survey.lonely.psu = pol)
  dcty <- svydesign(ids = ~1, strata = ~cname, weights = ~pw, data = strat)
  D_dl <- list(ids = NULL, strata = "cname", weights = "pw", fpc = NULL, lonely_psu = pol, adjust_domain_lonely = TRUE)
  add(paste0("i9_domain_lonely_", pol, "_mean_by_stype"), "apistrat.csv", D_dl,
      list(op = "mean", var = "api00", by = "stype"), byrows(svyby(~api00, ~stype, dcty, svymean), "stype"))
  add(paste0("i9_domain_lonely_", pol, "_mean_by_awards"), "apistrat.csv", D_dl,
      list(op = "mean", var = "api00", by = "awards"), byrows(svyby(~api00, ~awards, dcty, svymean), "awards"))
}
options(survey.adjust.domain.lonely = FALSE, survey.lonely.psu = "fail")

# -- item 3: glm interaction term names -----------------------------------------------------
glm_rows <- function(g) lapply(seq_along(coef(g)), function(i)
  list(term = names(coef(g))[i], estimate = unname(coef(g))[i], se = unname(SE(g))[i]))
for (f in c("api00 ~ stype * ell", "api00 ~ ell * stype", "api00 ~ ell + stype:meals")) {
  g <- svyglm(as.formula(f), design = dstrat)
  add(paste0("i3_glm_", gsub("[^a-z]+", "_", f)), "apistrat.csv", D_strat,
      list(op = "glm", formula = f, family = "gaussian"), glm_rows(g))
}

# -- item 4: supplied Fay replicate weights with rho --------------------------------------
repw <- 2 * cbind(c(1,0,1,0,1,0), c(1,0,0,1,0,1), c(0,1,1,0,0,1), c(0,1,0,1,1,0))
fay <- ifelse(repw > 0, 1.7, 0.3)
D_none <- list(ids = NULL, strata = NULL, weights = NULL, fpc = NULL)
R_fay <- list(type = "Fay", repweights = lapply(1:4, function(j) fay[, j]), combined_weights = FALSE, rho = 0.3)
sf <- svrepdesign(data = scd, type = "Fay", repweights = fay, combined.weights = FALSE, rho = 0.3)
add("i4_scd_fay_total_arrests", "scd.csv", D_none, list(op = "total", var = "arrests"), row1(svytotal(~arrests, sf)), replicates = R_fay)
add("i4_scd_fay_mean_alive", "scd.csv", D_none, list(op = "mean", var = "alive"), row1(svymean(~alive, sf)), replicates = R_fay)
r <- svyratio(~alive, ~arrests, sf)
add("i4_scd_fay_ratio", "scd.csv", D_none, list(op = "ratio", numerator = "alive", denominator = "arrests"),
    list(list(estimate = as.numeric(coef(r)), se = as.numeric(SE(r)))), replicates = R_fay)

# -- item 5: na.rm in svyciprop: df and n of the design before dropping -------------------
clus2$small <- as.numeric(clus2$acs.k3 <= 20)
write.csv(clus2, "apiclus2_small.csv", row.names = FALSE)
d2 <- svydesign(ids = ~dnum + snum, fpc = ~fpc1 + fpc2, data = clus2)
for (m in c("beta", "logit", "mean", "likelihood")) {
  ci <- svyciprop(~I(small == 1), d2, method = m, na.rm = TRUE)
  add(paste0("i5_clus2_ciprop_narm_", m), "apiclus2_small.csv", D_clus2,
      list(op = "ciprop", var = "small", level = 1, method = m, na_rm = TRUE), list(ci_row(ci)))
}

# -- item 6: BRR from a design takes the first PSU in data order ---------------------------
scd_shuf <- scd[c(2, 1, 3, 4, 6, 5), ]
write.csv(scd_shuf, "scd_shuffled.csv", row.names = FALSE)
D_scd <- list(ids = list("ambulance"), strata = "ESA", weights = NULL, fpc = NULL, nest = TRUE)
ds <- svydesign(ids = ~ambulance, strata = ~ESA, data = scd_shuf, nest = TRUE)
brr <- as.svrepdesign(ds, type = "BRR")
add("i6_scd_shuffled_brr_total", "scd_shuffled.csv", D_scd, list(op = "total", var = "arrests"),
    row1(svytotal(~arrests, brr)), replicates = list(type = "BRR"))
add("i6_scd_shuffled_brr_ratio", "scd_shuffled.csv", D_scd, list(op = "ratio", numerator = "alive", denominator = "arrests"),
    {r <- svyratio(~alive, ~arrests, brr); list(list(estimate = as.numeric(coef(r)), se = as.numeric(SE(r))))},
    replicates = list(type = "BRR"))
fy <- as.svrepdesign(ds, type = "Fay", fay.rho = 0.3)
add("i6_scd_shuffled_fay_total", "scd_shuffled.csv", D_scd, list(op = "total", var = "arrests"),
    row1(svytotal(~arrests, fy)), replicates = list(type = "Fay", fay_rho = 0.3))

# -- item 7: df of raked replicate designs (qr rank, tol 1e-5) ------------------------------
M_rake <- list(op = "rake", margins = list(stype = list(E = 4421, H = 755, M = 1018), sch.wide = list(No = 1072, Yes = 5122)))
pop.types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
pop.schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
jk1 <- as.svrepdesign(dclus1, type = "JK1")
rjk1 <- rake(jk1, list(~stype, ~sch.wide), list(pop.types, pop.schwide))
add("i7_clus1_jk1_rake_df", "apiclus1.csv", D_clus1, list(op = "mean", var = "api00"),
    row1(svymean(~api00, rjk1), df = degf(rjk1)), adjust = list(M_rake), replicates = list(type = "JK1"))
jkn <- as.svrepdesign(dstrat, type = "JKn")
rjkn <- rake(jkn, list(~sch.wide), list(pop.schwide))
add("i7_strat_jkn_rake_df", "apistrat.csv", D_strat, list(op = "mean", var = "api00"),
    row1(svymean(~api00, rjkn), df = degf(rjkn)),
    adjust = list(list(op = "rake", margins = list(sch.wide = list(No = 1072, Yes = 5122)))), replicates = list(type = "JKn"))
add("i7_scd_shuffled_brr_df", "scd_shuffled.csv", D_scd, list(op = "mean", var = "alive"),
    row1(svymean(~alive, brr), df = degf(brr)), replicates = list(type = "BRR"))

# -- item 8: compare_means is regTermTest on svyglm(y ~ by) ---------------------------------
tt_rows <- function(t) list(list(F = as.numeric(t$Ftest), ndf = as.numeric(t$df), ddf = as.numeric(t$ddf), p = as.numeric(t$p)))
add("i8_clus1_compare_means_stype", "apiclus1.csv", D_clus1, list(op = "compare_means", var = "api00", by = "stype"),
    tt_rows(regTermTest(svyglm(api00 ~ stype, dclus1), ~stype)))
add("i8_strat_compare_means_awards", "apistrat.csv", D_strat, list(op = "compare_means", var = "api00", by = "awards"),
    tt_rows(regTermTest(svyglm(api00 ~ awards, dstrat), ~awards)))
add("i8_clus2_compare_means_stype", "apiclus2.csv", D_clus2, list(op = "compare_means", var = "api00", by = "stype"),
    tt_rows(regTermTest(svyglm(api00 ~ stype, d2), ~stype)))

# -- item 9a: quantiles and ciprop by domain -----------------------------------------------
qrows <- list()
for (s in c("E", "H", "M")) {
  q <- svyquantile(~api00, subset(dstrat, stype == s), c(0.25, 0.5), ci = TRUE)
  ci <- confint(q)
  for (i in 1:2) qrows[[length(qrows) + 1]] <- list(by = s, q = c(0.25, 0.5)[i], estimate = unname(coef(q))[i],
                                                    se = unname(SE(q))[i], ci_low = unname(ci[i, 1]), ci_high = unname(ci[i, 2]))
}
add("i9_strat_quantile_by_stype", "apistrat.csv", D_strat, list(op = "quantile", var = "api00", q = c(0.25, 0.5), by = "stype"), qrows)
qrows <- list()
for (s in c("No", "Yes")) {
  q <- svyquantile(~enroll, subset(dclus1, awards == s), c(0.1, 0.9), ci = TRUE)
  ci <- confint(q)
  for (i in 1:2) qrows[[length(qrows) + 1]] <- list(by = s, q = c(0.1, 0.9)[i], estimate = unname(coef(q))[i],
                                                    se = unname(SE(q))[i], ci_low = unname(ci[i, 1]), ci_high = unname(ci[i, 2]))
}
add("i9_clus1_quantile_by_awards", "apiclus1.csv", D_clus1, list(op = "quantile", var = "enroll", q = c(0.1, 0.9), by = "awards"), qrows)
for (m in c("logit", "beta", "likelihood", "mean")) {
  rows <- lapply(c("E", "H", "M"), function(s)
    ci_row(svyciprop(~I(awards == "Yes"), subset(dclus1, stype == s), method = m), by = s))
  add(paste0("i9_clus1_ciprop_by_stype_", m), "apiclus1.csv", D_clus1,
      list(op = "ciprop", var = "awards", level = "Yes", method = m, by = "stype"), rows)
}


# -- estimates with their covariance: contrasts, domain differences, Wald tests ------------
ctr_rows <- function(ctr) lapply(seq_along(coef(ctr)), function(i)
  list(contrast = names(coef(ctr))[i], estimate = unname(coef(ctr))[i], se = unname(SE(ctr))[i]))
b <- svyby(~api00, ~stype, dstrat, svymean, covmat = TRUE)
add("c_strat_contrast_by_stype", "apistrat.csv", D_strat,
    list(op = "contrast", of = list(op = "mean", var = "api00", by = "stype"),
         contrasts = list(`H - E` = c(-1, 1, 0), `M - E` = c(-1, 0, 1), avg = c(1/3, 1/3, 1/3))),
    ctr_rows(svycontrast(b, list(`H - E` = c(-1, 1, 0), `M - E` = c(-1, 0, 1), avg = c(1/3, 1/3, 1/3)))))
b <- svyby(~api00, ~stype, dclus1, svymean, covmat = TRUE)
add("c_clus1_contrast_by_stype", "apiclus1.csv", D_clus1,
    list(op = "contrast", of = list(op = "mean", var = "api00", by = "stype"), contrasts = list(`H - M` = c(0, 1, -1))),
    ctr_rows(svycontrast(b, list(`H - M` = c(0, 1, -1)))))
b <- svyby(~enroll, ~awards, dclus1, svytotal, covmat = TRUE)
add("c_clus1_contrast_totals_by_awards", "apiclus1.csv", D_clus1,
    list(op = "contrast", of = list(op = "total", var = "enroll", by = "awards"), contrasts = list(diff = c(1, -1), sum = c(1, 1))),
    ctr_rows(svycontrast(b, list(diff = c(1, -1), sum = c(1, 1)))))
m <- svymean(~api00 + api99, dstrat)
add("c_strat_contrast_two_variables", "apistrat.csv", D_strat,
    list(op = "contrast", of = list(op = "mean", var = list("api00", "api99")), contrasts = list(growth = c(1, -1))),
    ctr_rows(svycontrast(m, list(growth = c(1, -1)))))
m <- svymean(~api00 + api99, rjk1)
add("c_clus1_jk1_rake_contrast_two_variables", "apiclus1.csv", D_clus1,
    list(op = "contrast", of = list(op = "mean", var = list("api00", "api99")), contrasts = list(growth = c(1, -1))),
    ctr_rows(svycontrast(m, list(growth = c(1, -1)))), adjust = list(M_rake), replicates = list(type = "JK1"))
b <- svyby(~api00, ~stype, jkn, svymean, covmat = TRUE)
add("c_strat_jkn_contrast_by_stype", "apistrat.csv", D_strat,
    list(op = "contrast", of = list(op = "mean", var = "api00", by = "stype"), contrasts = list(`H - E` = c(-1, 1, 0))),
    ctr_rows(svycontrast(b, list(`H - E` = c(-1, 1, 0)))), replicates = list(type = "JKn"))
t <- regTermTest(svyglm(api00 ~ stype, dclus1), ~stype)
add("c_clus1_wald_equal_means", "apiclus1.csv", D_clus1,
    list(op = "wald", of = list(op = "mean", var = "api00", by = "stype")), tt_rows(t))

# -- svyttest --------------------------------------------------------------------------------
tt <- function(t) list(list(estimate = unname(t$estimate), t = unname(t$statistic), df = unname(t$parameter),
                            p = unname(t$p.value), ci_low = t$conf.int[1], ci_high = t$conf.int[2]))
add("t_strat_two_groups_awards", "apistrat.csv", D_strat, list(op = "ttest", var = "api00", by = "awards"),
    tt(svyttest(api00 ~ awards, dstrat)))
add("t_clus1_two_groups_schwide", "apiclus1.csv", D_clus1, list(op = "ttest", var = "enroll", by = "sch.wide"),
    tt(svyttest(enroll ~ sch.wide, dclus1)))
add("t_clus2_two_groups_narm", "apiclus2.csv", D_clus2, list(op = "ttest", var = "acs.k3", by = "awards", na_rm = TRUE),
    tt(svyttest(acs.k3 ~ awards, d2)))
add("t_clus1_jk1_two_groups", "apiclus1.csv", D_clus1, list(op = "ttest", var = "api00", by = "awards"),
    tt(svyttest(api00 ~ awards, jk1)), replicates = list(type = "JK1"))
strat$growth <- strat$api00 - strat$api99
write.csv(strat, "apistrat_growth.csv", row.names = FALSE)
dg <- svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = strat)
add("t_strat_one_sample_growth", "apistrat_growth.csv", D_strat, list(op = "ttest", var = "growth"),
    tt(svyttest(growth ~ 0, dg)))
clus1$growth <- clus1$api00 - clus1$api99
write.csv(clus1, "apiclus1_growth.csv", row.names = FALSE)
dg1 <- svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = clus1)
add("t_clus1_one_sample_growth", "apiclus1_growth.csv", D_clus1, list(op = "ttest", var = "growth"),
    tt(svyttest(growth ~ 0, dg1)))

# -- svyvar ----------------------------------------------------------------------------------
add("v_strat_var_api00", "apistrat.csv", D_strat, list(op = "var", var = "api00"), row1(svyvar(~api00, dstrat)))
add("v_clus1_var_enroll", "apiclus1.csv", D_clus1, list(op = "var", var = "enroll"), row1(svyvar(~enroll, dclus1)))
add("v_strat_var_by_stype", "apistrat.csv", D_strat, list(op = "var", var = "api00", by = "stype"),
    byrows(svyby(~api00, ~stype, dstrat, svyvar), "stype"))
add("v_clus2_var_narm", "apiclus2.csv", D_clus2, list(op = "var", var = "acs.k3", na_rm = TRUE),
    row1(svyvar(~acs.k3, d2, na.rm = TRUE)))
add("v_clus1_jk1_var_api00", "apiclus1.csv", D_clus1, list(op = "var", var = "api00"), row1(svyvar(~api00, jk1)),
    replicates = list(type = "JK1"))

# -- cross-tables with cell SEs --------------------------------------------------------------
cells <- function(m, a, b) {
  nm <- sub("^interaction\\([^)]*\\)", "", names(coef(m)))
  lapply(seq_along(coef(m)), function(i) list(by = sub("\\.", ":", nm[i]), estimate = unname(coef(m))[i], se = unname(SE(m))[i]))
}
add("x_strat_table_stype_awards", "apistrat.csv", D_strat, list(op = "table", row = "stype", col = "awards"),
    cells(svytotal(~interaction(stype, awards), dstrat)))
add("x_clus1_table_share_schwide_awards", "apiclus1.csv", D_clus1, list(op = "table", row = "sch.wide", col = "awards", share = TRUE),
    cells(svymean(~interaction(sch.wide, awards), dclus1)))
add("x_clus1_jk1_table_stype_awards", "apiclus1.csv", D_clus1, list(op = "table", row = "stype", col = "awards"),
    cells(svytotal(~interaction(stype, awards), jk1)), replicates = list(type = "JK1"))


# -- glm families, term tests, predictions ---------------------------------------------------
fams <- list(quasipoisson = quasipoisson(), Gamma = Gamma(), `gaussian(log)` = gaussian(link = "log"),
             `Gamma(log)` = Gamma(link = "log"))
for (fn in names(fams)) {
  f <- if (fn == "quasipoisson") "enroll ~ stype + meals" else "api00 ~ ell + meals + stype"
  g <- svyglm(as.formula(f), design = dstrat, family = fams[[fn]])
  add(paste0("g_strat_glm_", sub("_$", "", gsub("[^a-z]+", "_", tolower(fn)))), "apistrat.csv", D_strat,
      list(op = "glm", formula = f, family = fn), glm_rows(g))
  g1 <- svyglm(as.formula(f), design = dclus1, family = fams[[fn]])
  add(paste0("g_clus1_glm_", sub("_$", "", gsub("[^a-z]+", "_", tolower(fn)))), "apiclus1.csv", D_clus1,
      list(op = "glm", formula = f, family = fn), glm_rows(g1))
}
g <- svyglm(api00 ~ ell + meals + stype, design = dclus1)
add("g_clus1_term_test_stype", "apiclus1.csv", D_clus1,
    list(op = "term_test", formula = "api00 ~ ell + meals + stype", terms = list("stype")), tt_rows(regTermTest(g, ~stype)))
add("g_clus1_term_test_two_terms", "apiclus1.csv", D_clus1,
    list(op = "term_test", formula = "api00 ~ ell + meals + stype", terms = list("ell", "meals")), tt_rows(regTermTest(g, ~ell + meals)))
g <- svyglm(api00 ~ stype * ell, design = dstrat)
add("g_strat_term_test_interaction", "apistrat.csv", D_strat,
    list(op = "term_test", formula = "api00 ~ stype * ell", terms = list("stype:ell")), tt_rows(regTermTest(g, ~stype:ell)))
g <- svyglm(I(sch.wide == "Yes") ~ ell + stype, design = dclus1, family = quasibinomial())
add("g_clus1_term_test_logit", "apiclus1.csv", D_clus1,
    list(op = "term_test", formula = "I(sch.wide == 'Yes') ~ ell + stype", family = "quasibinomial", terms = list("stype")),
    tt_rows(regTermTest(g, ~stype)))
nd <- data.frame(ell = c(10, 30, 50), stype = c("E", "H", "M"))
for (ty in c("link", "response")) {
  pr <- predict(g, newdata = nd, type = ty)
  add(paste0("g_clus1_predict_logit_", ty), "apiclus1.csv", D_clus1,
      list(op = "predict", formula = "I(sch.wide == 'Yes') ~ ell + stype", family = "quasibinomial",
           newdata = list(ell = nd$ell, stype = nd$stype), type = ty),
      lapply(1:3, function(i) list(row = i - 1, estimate = unname(coef(pr))[i], se = unname(SE(pr))[i])))
}
gp <- svyglm(enroll ~ stype + meals, design = dstrat, family = quasipoisson())
pr <- predict(gp, newdata = data.frame(stype = c("E", "M"), meals = c(20, 60)), type = "response")
add("g_strat_predict_quasipoisson_response", "apistrat.csv", D_strat,
    list(op = "predict", formula = "enroll ~ stype + meals", family = "quasipoisson",
         newdata = list(stype = c("E", "M"), meals = c(20, 60)), type = "response"),
    lapply(1:2, function(i) list(row = i - 1, estimate = unname(coef(pr))[i], se = unname(SE(pr))[i])))


# -- working likelihood-ratio tests and anova of nested glms ---------------------------------
lrt_rows <- function(t) list(list(chisq = as.numeric(t$chisq), ndf = as.numeric(t$df), ddf = as.numeric(t$ddf), p = as.numeric(t$p)))
g <- svyglm(api00 ~ ell + meals + stype, design = dclus1)
add("l_clus1_lrt_stype", "apiclus1.csv", D_clus1,
    list(op = "term_test", formula = "api00 ~ ell + meals + stype", terms = list("stype"), method = "LRT"),
    lrt_rows(regTermTest(g, ~stype, method = "LRT")))
add("l_clus1_workingwald_two_terms", "apiclus1.csv", D_clus1,
    list(op = "term_test", formula = "api00 ~ ell + meals + stype", terms = list("ell", "meals"), method = "WorkingWald"),
    lrt_rows(regTermTest(g, ~ell + meals, method = "WorkingWald")))
g <- svyglm(I(sch.wide == "Yes") ~ ell + stype, design = dstrat, family = quasibinomial())
add("l_strat_lrt_logit_stype", "apistrat.csv", D_strat,
    list(op = "term_test", formula = "I(sch.wide == 'Yes') ~ ell + stype", family = "quasibinomial", terms = list("stype"), method = "LRT"),
    lrt_rows(regTermTest(g, ~stype, method = "LRT")))
g1 <- svyglm(enroll ~ stype + meals + ell, design = dstrat, family = quasipoisson())
g0 <- svyglm(enroll ~ stype, design = dstrat, family = quasipoisson())
add("l_strat_anova_quasipoisson_lrt", "apistrat.csv", D_strat,
    list(op = "anova", formulas = list("enroll ~ stype + meals + ell", "enroll ~ stype"), family = "quasipoisson", method = "LRT"),
    lrt_rows(anova(g1, g0)))
a <- anova(g1, g0, method = "Wald")
add("l_strat_anova_quasipoisson_wald", "apistrat.csv", D_strat,
    list(op = "anova", formulas = list("enroll ~ stype + meals + ell", "enroll ~ stype"), family = "quasipoisson", method = "Wald"),
    list(list(F = as.numeric(a$Ftest), ndf = as.numeric(a$df), ddf = as.numeric(a$ddf), p = as.numeric(a$p))))
g1 <- svyglm(api00 ~ ell + meals + mobility, design = d2)
g0 <- svyglm(api00 ~ ell, design = d2)
add("l_clus2_anova_gaussian_lrt", "apiclus2.csv", D_clus2,
    list(op = "anova", formulas = list("api00 ~ ell + meals + mobility", "api00 ~ ell"), method = "LRT"),
    lrt_rows(anova(g1, g0)))


# -- post-stratification on several variables, partial tables, ultimate clusters ------------
ps_tab <- data.frame(stype = rep(c("E", "H", "M"), 2), awards = rep(c("No", "Yes"), each = 3),
                     Freq = c(1400, 400, 500, 3021, 355, 518))
cells_of <- function(tab) setNames(as.list(tab$Freq), paste(tab$stype, tab$awards, sep = ":"))
M_ps2 <- list(op = "poststratify", var = list("stype", "awards"), totals = cells_of(ps_tab))
ps <- postStratify(dstrat, ~stype + awards, ps_tab)
add("p_strat_poststrat_two_vars_mean", "apistrat.csv", D_strat, list(op = "mean", var = "api00"),
    row1(svymean(~api00, ps)), adjust = list(M_ps2))
add("p_strat_poststrat_two_vars_by", "apistrat.csv", D_strat, list(op = "total", var = "enroll", by = "sch.wide"),
    byrows(svyby(~enroll, ~sch.wide, ps, svytotal), "sch.wide"), adjust = list(M_ps2))
ps1 <- postStratify(dclus1, ~stype + awards, ps_tab)
add("p_clus1_poststrat_two_vars_mean", "apiclus1.csv", D_clus1, list(op = "mean", var = "api00"),
    row1(svymean(~api00, ps1)), adjust = list(M_ps2))
psj <- postStratify(jk1, ~stype + awards, ps_tab)
add("p_clus1_jk1_poststrat_two_vars", "apiclus1.csv", D_clus1, list(op = "mean", var = "api00"),
    row1(svymean(~api00, psj)), adjust = list(M_ps2), replicates = list(type = "JK1"))
# a population cell with no school in the sample: partial = TRUE leaves it out
sub_clus1 <- subset(clus1, !(stype == "H" & awards == "Yes"))
write.csv(sub_clus1, "apiclus1_nohyes.csv", row.names = FALSE)
dsub <- svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = sub_clus1)
psp <- postStratify(dsub, ~stype + awards, ps_tab, partial = TRUE)
add("p_clus1_poststrat_partial", "apiclus1_nohyes.csv", D_clus1, list(op = "mean", var = "api00"),
    row1(svymean(~api00, psp)), adjust = list(c(M_ps2, list(partial = TRUE))))
options(survey.ultimate.cluster = TRUE)
d2u <- svydesign(ids = ~dnum + snum, fpc = ~fpc1 + fpc2, data = clus2)
D_clus2u <- c(D_clus2, list(ultimate_cluster = TRUE))
add("u_clus2_ultimate_cluster_mean", "apiclus2.csv", D_clus2u, list(op = "mean", var = "api00"), row1(svymean(~api00, d2u)))
add("u_clus2_ultimate_cluster_by", "apiclus2.csv", D_clus2u, list(op = "total", var = "api00", by = "stype"),
    byrows(svyby(~api00, ~stype, d2u, svytotal), "stype"))
options(survey.ultimate.cluster = FALSE)


# -- PPS without replacement: Brewer's approximation and Horvitz-Thompson with ppsmat ------
data(election)
write.csv(election_pps, "election_pps.csv", row.names = FALSE)
D_br <- list(ids = NULL, strata = NULL, weights = NULL, fpc = NULL, pps = list(probs = "p", method = "brewer"))
D_ht <- list(ids = NULL, strata = NULL, weights = NULL, fpc = NULL,
             pps = list(probs = "p", method = "ht", joint = lapply(1:nrow(election_jointprob), function(i) election_jointprob[i, ])))
dbr <- svydesign(id = ~1, fpc = ~p, data = election_pps, pps = "brewer")
dht <- svydesign(id = ~1, fpc = ~p, data = election_pps, pps = ppsmat(election_jointprob))
for (v in c("Bush", "Kerry")) {
  add(paste0("pps_brewer_total_", tolower(v)), "election_pps.csv", D_br, list(op = "total", var = v), row1(svytotal(as.formula(paste0("~", v)), dbr)))
  add(paste0("pps_ht_total_", tolower(v)), "election_pps.csv", D_ht, list(op = "total", var = v), row1(svytotal(as.formula(paste0("~", v)), dht)))
}
r <- svyratio(~Bush, ~votes, dbr)
add("pps_brewer_ratio", "election_pps.csv", D_br, list(op = "ratio", numerator = "Bush", denominator = "votes"),
    list(list(estimate = as.numeric(coef(r)), se = as.numeric(SE(r)))))
r <- svyratio(~Bush, ~votes, dht)
add("pps_ht_ratio", "election_pps.csv", D_ht, list(op = "ratio", numerator = "Bush", denominator = "votes"),
    list(list(estimate = as.numeric(coef(r)), se = as.numeric(SE(r)))))


# -- adjusted means (svypredmeans) -------------------------------------------------------------
pm_rows <- function(pm) lapply(seq_along(coef(pm)), function(i)
  list(by = names(coef(pm))[i], estimate = unname(coef(pm))[i], se = unname(SE(pm))[i]))
add("pm_strat_predmeans_gaussian", "apistrat.csv", D_strat,
    list(op = "predmeans", formula = "api00 ~ ell + meals", group = "awards"),
    pm_rows(svypredmeans(svyglm(api00 ~ ell + meals, dstrat), ~factor(awards))))
add("pm_clus1_predmeans_logit", "apiclus1.csv", D_clus1,
    list(op = "predmeans", formula = "I(sch.wide == 'Yes') ~ ell + meals", group = "stype", family = "quasibinomial"),
    pm_rows(svypredmeans(svyglm(I(sch.wide == "Yes") ~ ell + meals, dclus1, family = quasibinomial()), ~factor(stype))))


# -- item 7b: a replicate column R's qr() keeps and a relative SVD threshold would drop ------
tiny <- cbind(repw, 1e-6 * (1:6))
st <- svrepdesign(data = scd, type = "other", repweights = tiny, combined.weights = TRUE, scale = 1, rscales = rep(1, 5))
add("i7_scd_qr_rank_keeps_small_column", "scd.csv", D_none, list(op = "mean", var = "alive"),
    row1(svymean(~alive, st), df = degf(st)),
    replicates = list(type = "other", repweights = lapply(1:5, function(j) tiny[, j]), combined_weights = TRUE, scale = 1))

writeLines(toJSON(cases, auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE), "cases.json")
cat(length(cases), "cases\n")
