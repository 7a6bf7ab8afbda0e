from django.urls import path

from learning.exchange import views

urlpatterns = [
    path("exchange/", views.exchange_list, name="exchange-list"),
    path("exchange/<int:pk>/", views.exchange_detail, name="exchange-detail"),
    path("exchange/<int:pk>/contact/", views.contact_listing, name="exchange-contact"),
    path("initiatives/<slug:slug>/contact/", views.contact_initiative, name="initiative-contact"),
    path("my/exchange/", views.exchange_mine, name="exchange-mine"),
    path("exchange/new/", views.exchange_create, name="exchange-create"),
    path("my/exchange/<int:pk>/edit/", views.exchange_edit, name="exchange-edit"),
    path("my/exchange/<int:pk>/renew/", views.exchange_renew, name="exchange-renew"),
    path("my/exchange/<int:pk>/withdraw/", views.exchange_withdraw, name="exchange-withdraw"),
    path("my/messages/", views.my_messages, name="exchange-messages"),
    path("my/messages/<int:pk>/reply/", views.message_reply, name="exchange-message-reply"),
    path("my/messages/<int:pk>/report/", views.message_report, name="exchange-message-report"),
]
