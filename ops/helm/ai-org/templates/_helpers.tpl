{{/* Names and labels shared by every object. */}}

{{- define "ai-org.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ai-org.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The name of one component's objects: <fullname>-<component>. Call with (dict "root" $ "component" "api"). */}}
{{- define "ai-org.componentName" -}}
{{- printf "%s-%s" (include "ai-org.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ai-org.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "ai-org.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ai-org
{{- end }}

{{/* Selector labels of one component. Call with (dict "root" $ "component" "api"). */}}
{{- define "ai-org.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ai-org.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "ai-org.componentLabels" -}}
{{ include "ai-org.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "ai-org.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ai-org.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "ai-org.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* https://<host> for each ingress host: the origins the API allows by default. */}}
{{- define "ai-org.allowedOrigins" -}}
{{- if .Values.auth.allowedOrigins }}
{{- join "," .Values.auth.allowedOrigins }}
{{- else if .Values.ingress.enabled }}
{{- $scheme := ternary "https" "http" (ne .Values.ingress.tlsSecretName "") }}
{{- $origins := list }}
{{- range .Values.ingress.hosts }}
{{- $origins = append $origins (printf "%s://%s" $scheme .) }}
{{- end }}
{{- join "," $origins }}
{{- end }}
{{- end }}

{{/* An env var read from an existing Secret. Call with (dict "name" "NEO4J_PASSWORD" "ref" .Values.neo4j.password). */}}
{{- define "ai-org.secretEnv" -}}
{{- if .ref.existingSecret }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .ref.existingSecret }}
      key: {{ .ref.key }}
{{- end }}
{{- end }}

{{/*
The environment every AI-Org process reads (core/src/config/config.ts), inline rather than in a
ConfigMap: the migration hook runs before the release's own objects exist.
*/}}
{{- define "ai-org.env" -}}
- name: NODE_ENV
  value: production
- name: HOST
  value: 0.0.0.0
- name: LOG_FORMAT
  value: json
# tsx and git write their caches under HOME; the root filesystem is read-only.
- name: HOME
  value: /tmp
- name: PORT
  value: {{ .Values.api.port | quote }}
- name: METRICS_PORT
  value: {{ .Values.api.metricsPort | quote }}
- name: WORKER_METRICS_PORT
  value: {{ .Values.workers.metricsPort | quote }}
- name: ORCHESTRATOR_METRICS_PORT
  value: {{ .Values.orchestrator.metricsPort | quote }}
- name: NEO4J_URI
  value: {{ .Values.neo4j.uri | quote }}
- name: NEO4J_USER
  value: {{ .Values.neo4j.user | quote }}
{{- with .Values.neo4j.database }}
- name: NEO4J_DATABASE
  value: {{ . | quote }}
{{- end }}
- name: NEO4J_TRANSACTION_TIMEOUT_MS
  value: {{ .Values.neo4j.transactionTimeoutMs | quote }}
- name: NEO4J_MAX_RETRY_MS
  value: {{ .Values.neo4j.maxRetryMs | quote }}
{{- include "ai-org.secretEnv" (dict "name" "NEO4J_PASSWORD" "ref" .Values.neo4j.password) }}
{{- if .Values.redis.urlSecret.existingSecret }}
{{- include "ai-org.secretEnv" (dict "name" "REDIS_URL" "ref" .Values.redis.urlSecret) }}
{{- else }}
- name: REDIS_URL
  value: {{ .Values.redis.url | quote }}
{{- end }}
{{- if .Values.redis.clusterNodesSecret.existingSecret }}
{{- include "ai-org.secretEnv" (dict "name" "REDIS_CLUSTER_NODES" "ref" .Values.redis.clusterNodesSecret) }}
{{- else if .Values.redis.clusterNodes }}
- name: REDIS_CLUSTER_NODES
  value: {{ join "," .Values.redis.clusterNodes | quote }}
{{- end }}
- name: AUTH_MODE
  value: {{ .Values.auth.mode | quote }}
{{- with .Values.auth.jwt.jwksUrl }}
- name: JWT_JWKS_URL
  value: {{ . | quote }}
{{- end }}
{{- with .Values.auth.jwt.issuer }}
- name: JWT_ISSUER
  value: {{ . | quote }}
{{- end }}
{{- with .Values.auth.jwt.audience }}
- name: JWT_AUDIENCE
  value: {{ . | quote }}
{{- end }}
- name: JWT_TENANT_CLAIM
  value: {{ .Values.auth.jwt.tenantClaim | quote }}
- name: JWT_ROLES_CLAIM
  value: {{ .Values.auth.jwt.rolesClaim | quote }}
{{- include "ai-org.secretEnv" (dict "name" "JWT_SECRET" "ref" .Values.auth.jwt.secret) }}
{{- include "ai-org.secretEnv" (dict "name" "ADMIN_TOKEN" "ref" .Values.auth.adminToken) }}
{{- with (include "ai-org.allowedOrigins" .) }}
- name: ALLOWED_ORIGINS
  value: {{ . | quote }}
{{- end }}
- name: GRAPHQL_INTROSPECTION
  value: {{ .Values.auth.introspection | quote }}
- name: TRUST_PROXY
  value: {{ .Values.api.trustProxy | quote }}
- name: LLM_MODEL
  value: {{ .Values.llm.model | quote }}
- name: LLM_TIMEOUT_MS
  value: {{ .Values.llm.timeoutMs | quote }}
{{- with .Values.llm.baseUrl }}
- name: OPENAI_BASE_URL
  value: {{ . | quote }}
{{- end }}
{{- include "ai-org.secretEnv" (dict "name" "OPENAI_API_KEY" "ref" .Values.llm.apiKey) }}
{{- include "ai-org.secretEnv" (dict "name" "STRIPE_SECRET_KEY" "ref" .Values.stripe.secretKey) }}
{{- include "ai-org.secretEnv" (dict "name" "STRIPE_WEBHOOK_SECRET" "ref" .Values.stripe.webhookSecret) }}
{{- $returnUrl := .Values.stripe.returnUrl }}
{{- if and (not $returnUrl) .Values.ingress.enabled }}
{{- $returnUrl = printf "%s://%s/#/billing" (ternary "https" "http" (ne .Values.ingress.tlsSecretName "")) (first .Values.ingress.hosts) }}
{{- end }}
{{- with $returnUrl }}
- name: BILLING_RETURN_URL
  value: {{ . | quote }}
{{- end }}
- name: WORKER_CONCURRENCY
  value: {{ .Values.workers.concurrency | quote }}
- name: WORKSPACE_ROOT
  value: {{ .Values.workspaces.mountPath | quote }}
{{- range $name, $value := .Values.config }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}

{{/* Volumes every app container mounts: /tmp and the workspaces. */}}
{{- define "ai-org.volumes" -}}
- name: tmp
  emptyDir: {}
- name: workspaces
{{- if .Values.workspaces.existingClaim }}
  persistentVolumeClaim:
    claimName: {{ .Values.workspaces.existingClaim }}
{{- else }}
  emptyDir: {}
{{- end }}
{{- end }}

{{- define "ai-org.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: workspaces
  mountPath: {{ .Values.workspaces.mountPath }}
{{- end }}

{{/* The app container's fixed parts: image, security, env. */}}
{{- define "ai-org.appContainerBase" -}}
image: {{ include "ai-org.image" . }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
securityContext:
  {{- toYaml .Values.containerSecurityContext | nindent 2 }}
env:
  {{- include "ai-org.env" . | nindent 2 }}
volumeMounts:
  {{- include "ai-org.volumeMounts" . | nindent 2 }}
{{- end }}

{{/* Pod-level fields every component shares. Call with (dict "root" $ "spec" .Values.api). */}}
{{- define "ai-org.podCommon" -}}
serviceAccountName: {{ include "ai-org.serviceAccountName" .root }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .spec.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .spec.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .spec.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
